package web

import (
	"waymark"
	"waymark/stats"
)

// BarChart is a horizontal bar chart of one breakdown's categories over a year, drawn as SVG on
// the server so that it needs no script; the table beneath it holds the same figures. Only a
// count shown as a number has a bar. A hidden count is written in words where its bar would be
// and never drawn, so no length hints at it.
type BarChart struct {
	ID            string
	Title         string
	Width, Height int
	// Left is where the bars start, after the categories' names.
	Left int
	Bars []Bar
}

// Bar is one category's row of the chart.
type Bar struct {
	// Y is the top of the row.
	Y     int
	Label string
	// Width is the bar's length, 0 for a hidden count or zero.
	Width int
	// Text is the count as the report shows it, at TextX.
	Text   string
	TextX  int
	Hidden bool
}

// The chart's measures, in SVG units.
const (
	chartWidth    = 720
	chartLeft     = 300
	chartPlot     = 320
	chartRow      = 28
	chartLabelMax = 40
)

// barChart draws the counts of the categories named by labels.
func barChart(id, title string, labels []string, cells []stats.Cell) *BarChart {
	c := &BarChart{ID: id, Title: title, Width: chartWidth, Height: len(cells)*chartRow + 8, Left: chartLeft}
	// The scale is the largest count shown: a hidden count takes no part in it.
	most := 0
	for _, cell := range cells {
		if v, ok := cell.Value(); ok && v > most {
			most = v
		}
	}
	for i, cell := range cells {
		b := Bar{Y: 4 + i*chartRow, Label: waymark.Shorten(labels[i], chartLabelMax-1), Text: cell.String(), Hidden: cell.Hidden()}
		if v, ok := cell.Value(); ok && most > 0 {
			b.Width = v * chartPlot / most
		}
		b.TextX = c.Left + b.Width + 6
		c.Bars = append(c.Bars, b)
	}
	return c
}
