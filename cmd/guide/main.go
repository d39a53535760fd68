// Command guide builds an interview-guide website from a folder of markdown
// role files.
//
//	guide build [--source DIR] [--destination DIR] [--base-url URL] [--drafts]
//	guide version
//	guide help [command]
//
// Output rules: messages to the user go to stderr prefixed "guide: ", in
// lower case without a final full stop; content problems are printed one per
// line as "file:line: message" so editors can jump to them; a line starting
// "guide: hint: " says what to do next. The one-line summary of a successful
// build goes to stdout. Exit status: 0 success, 1 the guide has errors (or
// the build failed), 2 the command line is wrong.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command is one subcommand.
type command struct {
	name    string
	usage   string // the synopsis after "guide "
	summary string // one line for the command list
	help    string // paragraphs after the flags
	flags   func(fs *flag.FlagSet) func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var commands []*command

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		printUsage(stdout)
		return exitOK
	case "-version", "--version":
		name = "version"
	}
	cmd := lookup(name)
	if cmd == nil {
		fmt.Fprintf(stderr, "guide: unknown command %q\n", name)
		fmt.Fprintf(stderr, "guide: hint: run 'guide help' for the list of commands\n")
		return exitUsage
	}
	fs := flag.NewFlagSet("guide "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	runCmd := cmd.flags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandHelp(stdout, cmd, fs)
			return exitOK
		}
		fmt.Fprintf(stderr, "guide %s: %v\n", cmd.name, err)
		fmt.Fprintf(stderr, "guide: hint: run 'guide help %s' for its flags\n", cmd.name)
		return exitUsage
	}
	return runCmd(ctx, fs.Args(), stdout, stderr)
}

// strayArgs reports arguments a command does not take (most often a guide
// folder given without --source) and says so.
func strayArgs(cmd string, args []string, stderr io.Writer) bool {
	if len(args) == 0 {
		return false
	}
	fmt.Fprintf(stderr, "guide %s: unexpected argument %q\n", cmd, args[0])
	fmt.Fprintf(stderr, "guide: hint: give the guide folder with --source %s\n", args[0])
	return true
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "guide turns a folder of markdown interview guides into a website.\n\nUsage:\n\n")
	for _, c := range commands {
		fmt.Fprintf(w, "\tguide %-34s %s\n", c.usage, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'guide help <command>' for a command's flags.\n")
}

func printCommandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: guide %s\n\n%s\n", c.usage, c.summary)
	var flags strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(&flags, "  --%s", f.Name)
		if name != "" {
			fmt.Fprintf(&flags, " %s", name)
		}
		fmt.Fprintf(&flags, "\n    \t%s", strings.ReplaceAll(usage, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(&flags, " (default %q)", f.DefValue)
		}
		flags.WriteString("\n")
	})
	if flags.Len() > 0 {
		fmt.Fprintf(w, "\nFlags:\n%s", flags.String())
	}
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.help))
	}
}

func init() {
	commands = []*command{buildCommand(), serveCommand(), versionCommand(), helpCommand()}
}

func helpCommand() *command {
	return &command{
		name:    "help",
		usage:   "help [command]",
		summary: "show help for guide or one of its commands",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) int {
			return func(_ context.Context, args []string, stdout, stderr io.Writer) int {
				if len(args) == 0 {
					printUsage(stdout)
					return exitOK
				}
				c := lookup(args[0])
				if c == nil {
					fmt.Fprintf(stderr, "guide help: unknown command %q\n", args[0])
					return exitUsage
				}
				cfs := flag.NewFlagSet("guide "+c.name, flag.ContinueOnError)
				c.flags(cfs)
				printCommandHelp(stdout, c, cfs)
				return exitOK
			}
		},
	}
}
