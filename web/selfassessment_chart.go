package web

import (
	"fmt"
	"strings"

	"waymark"
)

// TrendChart is a line chart of each recommendation's score over time, drawn as SVG on the
// server so that it needs no script; the table beside it holds the same figures.
type TrendChart struct {
	Width, Height int
	Lines         []TrendLine
	XLabels       []ChartLabel
	YLabels       []ChartLabel
	// Left, Right, Top and Bottom are the plot area's edges.
	Left, Right, Top, Bottom int
}

// TrendLine is one recommendation's line.
type TrendLine struct {
	ID     string
	Colour string
	Points string
	Dots   []ChartLabel
}

// ChartLabel is a label or a point at a position.
type ChartLabel struct {
	X, Y int
	Text string
}

// chartColours are distinguishable colours from the GOV.UK palette, one per recommendation.
var chartColours = []string{"#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#28a197", "#505a5f"}

// trendChart draws the trend, or returns nil when there are fewer than two assessments to join.
func trendChart(t Trend) *TrendChart {
	if len(t.Dates) < 2 {
		return nil
	}
	c := &TrendChart{Width: 640, Height: 300, Left: 60, Right: 560, Top: 20, Bottom: 250}
	x := func(i int) int { return c.Left + i*(c.Right-c.Left)/(len(t.Dates)-1) }
	y := func(score float64) int { return c.Bottom - int(score*float64(c.Bottom-c.Top)/2) }
	for i, d := range t.Dates {
		c.XLabels = append(c.XLabels, ChartLabel{X: x(i), Y: c.Bottom + 22, Text: waymark.FormatDay(d)})
	}
	for _, s := range []float64{0, 1, 2} {
		c.YLabels = append(c.YLabels, ChartLabel{X: c.Left - 10, Y: y(s), Text: fmt.Sprint(s)})
	}
	for i, row := range t.Rows {
		line := TrendLine{ID: row.ID, Colour: chartColours[i%len(chartColours)]}
		var pts []string
		for j, cell := range row.Cells {
			if cell.Rated == 0 {
				continue
			}
			// Lines are nudged apart a little so that equal scores stay visible.
			px, py := x(j), y(cell.Score)+(i-3)*2
			pts = append(pts, fmt.Sprintf("%d,%d", px, py))
			line.Dots = append(line.Dots, ChartLabel{X: px, Y: py})
		}
		line.Points = strings.Join(pts, " ")
		if len(line.Dots) > 0 {
			line.Dots[len(line.Dots)-1].Text = row.ID
		}
		c.Lines = append(c.Lines, line)
	}
	return c
}
