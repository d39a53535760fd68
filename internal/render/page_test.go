package render

import "testing"

func TestArticleFollowsSound(t *testing.T) {
	for title, want := range map[string]string{
		"Backend Developer":         "a",
		"Account Executive":         "an",
		"Engineering Manager":       "an",
		"Site Reliability Engineer": "a",
		"SRE":                       "an",
		"UX Designer":               "a",
		"User Researcher":           "a",
		"Operations Analyst":        "an",
		"Honest Broker":             "an",
		"Hiring Manager":            "a",
		"HR Business Partner":       "an",
		"MLOps Engineer":            "an",
		"QA Engineer":               "a",
		"Internal Auditor":          "an",
		"":                          "a",
	} {
		if got := article(title); got != want {
			t.Errorf("article(%q) = %q; want %q", title, got, want)
		}
	}
}

func TestFileOfPagePath(t *testing.T) {
	for p, want := range map[string]string{"": "index.html", "roles/x/": "roles/x/index.html", "404.html": "404.html"} {
		if got := File(p); got != want {
			t.Errorf("File(%q) = %q; want %q", p, got, want)
		}
	}
}
