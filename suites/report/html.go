package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var htmlTemplate string

const timeUnit = time.Millisecond

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"date":     func(t time.Time) string { return t.Format(time.DateOnly) },
	"duration": func(d time.Duration) string { return d.Round(timeUnit).String() },
	"join":     strings.Join,
	"ms":       func(f float64) string { return fmt.Sprintf("%.1f ms", f) },
	"notices":  noticeLines,
	"open":     func(verdict string) bool { return verdict == Fail || verdict == Warning || verdict == Accepted },
	"upper":    strings.ToUpper,
}).Parse(htmlTemplate))

// WriteHTML renders the summary as one self-contained HTML page: inline
// CSS, no scripts, no external assets. Failed and warned specs start
// expanded.
func WriteHTML(w io.Writer, s Summary) error {
	if err := page.Execute(w, s); err != nil {
		return fmt.Errorf("render report.html: %w", err)
	}
	return nil
}
