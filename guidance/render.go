// Package guidance turns the resource library's Markdown into HTML that is safe to show inside a
// Waymark page, and holds the guidance every region starts with.
package guidance

import (
	"bytes"
	"html/template"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxBody is the longest Markdown a page may hold, in bytes.
const MaxBody = 100_000

// markdown parses CommonMark with tables. Raw HTML in the source is dropped, not passed through
// (goldmark's default), and the styles of GOV.UK Frontend are put on each element.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(govukStyles{}, 100))),
)

// policy is the sanitiser every rendering passes through as well: even if the parser let
// something through, only these elements and attributes reach the browser. Links may only go to
// web addresses, email addresses and pages of Waymark itself.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("h2", "h3", "p", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "hr", "br",
		"table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("https", "http", "mailto", "tel")
	p.AllowRelativeURLs(true)
	p.RequireNoFollowOnFullyQualifiedLinks(false)
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^govuk-[a-z0-9_-]+( govuk-[a-z0-9_-]+)*$`)).Globally()
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(col|row)$`)).OnElements("th")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	return p
}()

// Render turns Markdown into sanitised HTML for a page. Headings start at level 2: the page's
// title is its only level 1 heading.
func Render(source string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(source), &buf); err != nil {
		// goldmark fails only when writing fails, which a buffer does not: show the text as it is.
		return template.HTML(template.HTMLEscapeString(source))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

// govukStyles puts GOV.UK Frontend's classes on the elements Markdown makes, and moves headings
// down a level.
type govukStyles struct{}

func (govukStyles) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level <= 2 {
				n.Level = 2
				n.SetAttributeString("class", "govuk-heading-m")
			} else {
				n.Level = 3
				n.SetAttributeString("class", "govuk-heading-s")
			}
		case *ast.Paragraph:
			if _, inList := n.Parent().(*ast.ListItem); !inList {
				n.SetAttributeString("class", "govuk-body")
			}
		case *ast.List:
			if n.IsOrdered() {
				n.SetAttributeString("class", "govuk-list govuk-list--number")
			} else {
				n.SetAttributeString("class", "govuk-list govuk-list--bullet")
			}
		case *ast.Link:
			n.SetAttributeString("class", "govuk-link")
		case *ast.Blockquote:
			n.SetAttributeString("class", "govuk-inset-text")
		case *ast.ThematicBreak:
			n.SetAttributeString("class", "govuk-section-break govuk-section-break--m govuk-section-break--visible")
		case *east.Table:
			n.SetAttributeString("class", "govuk-table")
		case *east.TableHeader:
			n.SetAttributeString("class", "govuk-table__head")
		case *east.TableRow:
			n.SetAttributeString("class", "govuk-table__row")
		case *east.TableCell:
			if _, header := n.Parent().(*east.TableHeader); header {
				n.SetAttributeString("class", "govuk-table__header")
				n.SetAttributeString("scope", "col")
			} else {
				n.SetAttributeString("class", "govuk-table__cell")
			}
		}
		return ast.WalkContinue, nil
	})
}
