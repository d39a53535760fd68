package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/guide-build/guide"
)

func versionCommand() *command {
	return &command{
		name:    "version",
		usage:   "version",
		summary: "print the version of guide",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) int {
			return func(_ context.Context, args []string, stdout, stderr io.Writer) int {
				if len(args) > 0 {
					fmt.Fprintf(stderr, "guide version: takes no arguments\n")
					return exitUsage
				}
				v := guide.Version
				if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
					v = info.Main.Version
				}
				fmt.Fprintf(stdout, "guide %s %s %s/%s\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
				return exitOK
			}
		},
	}
}
