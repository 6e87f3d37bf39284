package waymark

// Page selects one page of a list. Every list in Waymark is paged.
type Page struct {
	Offset int
	Limit  int
}

// MaxPageSize is the most rows one page may hold.
const MaxPageSize = 100

// DefaultPageSize is the page size when none is given.
const DefaultPageSize = 25

// Normalize keeps a page within bounds.
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultPageSize
	}
	if p.Limit > MaxPageSize {
		p.Limit = MaxPageSize
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}
