package guide_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/build"
	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
)

// TestBundledGuide holds the example guide in this repository to the bar a
// hiring team needs: it builds without a warning, and every role has enough
// questions over every category, each with a look-for note, and a real FAQ.
func TestBundledGuide(t *testing.T) {
	res, err := build.Publish(context.Background(), ".", t.TempDir(), build.Options{Theme: guide.Theme})
	if err != nil {
		t.Fatalf("the bundled guide does not build:\n%v", err)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	data, err := os.ReadFile(config.File)
	if err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Parse(data, "")
	if cfg == nil {
		t.Fatalf("guide.yaml: %v", diags)
	}
	if got, want := cfg.CategoryKeys(), []string{"technical", "behavioral", "situational"}; !slices.Equal(got, want) {
		t.Errorf("categories %q; want %q", got, want)
	}

	files, _ := filepath.Glob("content/roles/*.md")
	departments := map[string]bool{}
	roles := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		r, diags := content.ParseRole(file, data, cfg)
		if r == nil || diags.HasErrors() {
			t.Fatalf("%s: %v", file, diags)
		}
		roles++
		departments[r.Department] = true
		perCat := map[string]int{}
		for i, q := range r.Questions {
			perCat[q.Category]++
			if strings.TrimSpace(q.LookFor.Source) == "" {
				t.Errorf("%s: question %d has no look-for note", file, i+1)
			}
		}
		if len(r.Questions) < 12 {
			t.Errorf("%s: %d questions; want at least 12", file, len(r.Questions))
		}
		for _, c := range cfg.CategoryKeys() {
			if perCat[c] == 0 {
				t.Errorf("%s: no %s questions", file, c)
			}
		}
		if len(r.FAQ) < 3 {
			t.Errorf("%s: %d FAQ entries; want at least 3", file, len(r.FAQ))
		}
		if len(strings.Fields(r.Body.Source)) < 100 {
			t.Errorf("%s: the body has %d words; want a few paragraphs on running the loop", file, len(strings.Fields(r.Body.Source)))
		}
		if r.Updated.IsZero() {
			t.Errorf("%s: no updated date", file)
		}
		if r.Slug == "backend-developer" {
			if perCat["technical"] != 8 || perCat["behavioral"] != 4 || perCat["situational"] != 4 || len(r.FAQ) != 4 {
				t.Errorf("backend developer: %v questions by category and %d FAQ; want 8 technical, 4 behavioral, 4 situational, 4 FAQ", perCat, len(r.FAQ))
			}
			for i, q := range r.Questions {
				if q.Category == "technical" && len(q.FollowUps) == 0 {
					t.Errorf("backend developer: technical question %d has no follow-ups", i+1)
				}
			}
		}
	}
	if roles < 8 || len(departments) < 3 {
		t.Errorf("%d roles in %d departments; want at least 8 in 3", roles, len(departments))
	}
	if res.Roles != roles {
		t.Errorf("built %d roles; %d files (a draft in the bundled guide?)", res.Roles, roles)
	}
}

// TestBundledGuideIsValidHTML runs the W3C Nu Html Checker over every page
// of the built bundled guide. It needs Java and vnu.jar (npm package
// vnu-jar): set VNU_JAR, or run npm ci in .ci/. Without them it
// skips, except in CI.
func TestBundledGuideIsValidHTML(t *testing.T) {
	jar := findVNU()
	_, javaErr := exec.LookPath("java")
	if jar == "" || javaErr != nil {
		msg := "skipping: the HTML check needs java and vnu.jar (run: cd .ci && npm ci)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	out := t.TempDir()
	if _, err := build.Publish(context.Background(), ".", out, build.Options{Theme: guide.Theme}); err != nil {
		t.Fatal(err)
	}
	// The same guide with its lists cut into pages, for the pagers.
	paged := t.TempDir()
	if err := os.CopyFS(filepath.Join(paged, "content"), os.DirFS("content")); err != nil {
		t.Fatal(err)
	}
	yml, err := os.ReadFile("guide.yaml")
	if err != nil {
		t.Fatal(err)
	}
	yml = append(yml, "page-size: {category: 5, department: 1, home: 1}\n"...)
	if err := os.WriteFile(filepath.Join(paged, "guide.yaml"), yml, 0o644); err != nil {
		t.Fatal(err)
	}
	pagedOut := filepath.Join(out, "paged")
	if _, err := build.Publish(context.Background(), paged, pagedOut, build.Options{Theme: guide.Theme}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(pagedOut, "categories", "technical", "page", "2", "index.html")); err != nil {
		t.Fatalf("the paged build has no second page: %v", err)
	}
	cmd := exec.Command("java", "-jar", jar, "--format", "json", "--skip-non-html", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // vnu writes its report to stderr
	runErr := cmd.Run()
	var report struct {
		Messages []struct {
			Type    string `json:"type"`
			SubType string `json:"subType"`
			URL     string `json:"url"`
			Line    int    `json:"lastLine"`
			Message string `json:"message"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(stderr.Bytes(), &report); err != nil {
		t.Fatalf("vnu: %v (%v)\n%s", err, runErr, stderr.String())
	}
	pages, _ := filepath.Glob(filepath.Join(out, "*", "*", "index.html"))
	if len(pages) < 8 {
		t.Fatalf("only %d pages built", len(pages))
	}
	for _, m := range report.Messages {
		if m.Type == "error" || m.SubType == "warning" {
			t.Errorf("%s:%d: %s: %s", strings.TrimPrefix(m.URL, "file:"+out), m.Line, m.Type+m.SubType, m.Message)
		}
	}
}

func findVNU() string {
	if p := os.Getenv("VNU_JAR"); p != "" {
		return p
	}
	for _, p := range []string{".ci/node_modules/vnu-jar/build/dist/vnu.jar"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}
