// Package guide turns a folder of markdown interview guides into a fast,
// searchable static website. The command is cmd/guide; the pipeline lives
// in internal/build. This package holds what ships inside the binary: the
// default theme.
package guide

import "embed"

// Theme is the default theme: layouts/ (html/template files) and assets/
// (CSS, JS, images). A guide's own layouts/ and assets/ override it file by
// file.
//
//go:embed layouts assets
var Theme embed.FS

// Version is the version of guide, printed by `guide version`.
var Version = "0.1.0-dev"
