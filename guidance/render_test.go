package guidance

import (
	"regexp"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
		never    []string
	}{
		{"headings start at level 2 with GOV.UK styles", "# Title\n\n## Part\n\n### Detail",
			[]string{`<h2 class="govuk-heading-m">Title</h2>`, `<h2 class="govuk-heading-m">Part</h2>`, `<h3 class="govuk-heading-s">Detail</h3>`}, []string{"<h1"}},
		{"paragraphs, lists and links are styled", "Some *text*.\n\n- one\n- two\n\n1. first\n\n[Pathways](/guidance/pathways)",
			[]string{`<p class="govuk-body">Some <em>text</em>.</p>`, `<ul class="govuk-list govuk-list--bullet">`, `<ol class="govuk-list govuk-list--number">`,
				`<a href="/guidance/pathways" class="govuk-link">Pathways</a>`}, nil},
		{"a table gets GOV.UK's table styles and header scopes", "| Service | Phone |\n|---|---|\n| Hub | 0100 |",
			[]string{`<table class="govuk-table">`, `<th class="govuk-table__header" scope="col">Service</th>`, `<td class="govuk-table__cell">Hub</td>`}, nil},
		{"raw HTML and scripts are dropped", "Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://x\"></iframe>",
			[]string{"Hello"}, []string{"<script", "onerror", "<img", "<iframe"}},
		{"links to scripts and data lose their address", "[a](javascript:alert(1)) [b](data:text/html;base64,PHNjcmlwdD4=) [c](vbscript:x)",
			nil, []string{"javascript:", "data:", "vbscript:"}},
		{"web and email links are kept", "[site](https://example.org/help) <mailto:help@example.org>",
			[]string{`href="https://example.org/help"`, `href="mailto:help@example.org"`}, nil},
		{"a quotation is inset text", "> Call 999 in an emergency.", []string{`<blockquote class="govuk-inset-text">`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := string(Render(c.in))
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q) lacks %q:\n%s", c.in, w, got)
				}
			}
			for _, n := range c.never {
				if strings.Contains(strings.ToLower(got), n) {
					t.Errorf("Render(%q) holds %q:\n%s", c.in, n, got)
				}
			}
		})
	}
}

func TestDefaultsRender(t *testing.T) {
	for _, p := range Defaults() {
		if p.Body == "" || p.Title == "" {
			t.Errorf("default page %q is empty", p.Slug)
		}
		if html := string(Render(p.Body)); !strings.Contains(html, `<h2 class="govuk-heading-m">`) {
			t.Errorf("default page %q has no headings:\n%.300s", p.Slug, html)
		}
	}
}

// unsafe matches what must never reach a page: script elements, event handler attributes, style
// attributes, and addresses that run code.
var unsafe = regexp.MustCompile(`(?i)<script|<iframe|<object|<embed|<style|<form|<input|\son[a-z]+\s*=|\sstyle\s*=|javascript:|vbscript:|data:`)

func FuzzRender(f *testing.F) {
	for _, s := range []string{"# x", "[a](javascript:alert(1))", "<script>x</script>", "<a href=\"java\tscript:x\">y</a>", "| a |\n|---|\n| <b onclick=x> |",
		"<img src=x onerror=alert(1)>", "[x](JaVaScRiPt:alert(1))", "![i](data:image/svg+xml;base64,PHN2Zz4=)", "<div style=\"x\">y</div>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := string(Render(in))
		if m := unsafe.FindString(got); m != "" {
			// Text that merely mentions such words is escaped and harmless; only markup counts.
			if loc := unsafe.FindStringIndex(got); loc != nil && insideTag(got, loc[0]) {
				t.Fatalf("Render(%q) lets %q through:\n%s", in, m, got)
			}
		}
	})
}

// insideTag reports whether position i of the HTML is inside a tag (between < and >).
func insideTag(html string, i int) bool {
	open, close := strings.LastIndex(html[:i+1], "<"), strings.LastIndex(html[:i+1], ">")
	return open > close
}
