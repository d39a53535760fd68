package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/serve"
)

func serveCommand() *command {
	return &command{
		name:    "serve",
		usage:   "serve [--source DIR] [--port 1313] [flags]",
		summary: "preview the guide with live reload",
		help: `
Serves the guide from memory (public/ is never touched) and watches
guide.yaml, content/, layouts/ and assets/. Open pages reload as soon as a
file they show is saved, and show the guide's problems on the page until
they are fixed. If the port is taken, the next free one is used unless
--port was given.`,
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) int {
			source := fs.String("source", ".", "the guide `folder`")
			port := fs.Int("port", 1313, "the `port` to listen on")
			bind := fs.String("bind", "127.0.0.1", "the `address` to listen on; anything but loopback lets your network in")
			drafts := fs.Bool("drafts", false, "include roles marked draft: true")
			open := fs.Bool("open", false, "open the guide in a browser")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
				if strayArgs("serve", args, stderr) {
					return exitUsage
				}
				portSet := false
				fs.Visit(func(f *flag.Flag) { portSet = portSet || f.Name == "port" })
				err := serve.Run(ctx, serve.Options{
					Source: *source, Port: *port, PortSet: portSet, Bind: *bind,
					Drafts: *drafts, Open: *open, Theme: guide.Theme,
					Stdout: stdout, Stderr: stderr,
				})
				if err != nil {
					fmt.Fprintf(stderr, "guide: %v\n", err)
					return exitFailure
				}
				return exitOK
			}
		},
	}
}
