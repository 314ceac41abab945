// Package raster turns a document from outside (a platform's airway bill:
// PDF, PNG, JPEG or HTML) into pages a label printer prints: PNG images
// exactly N dots wide, black on white. PDF pages are drawn by poppler's
// pdftoppm, HTML by an HTML renderer (raster/chromium); everything else is
// Go's own image code.
//
// Every document is hostile until drawn: its size, its page count, each
// page's length and the time spent on it are bounded (Limits), and a
// document that cannot be drawn is an app error in words, never a panic.
package raster

import (
	"bytes"
	"context"
	"errors"
	"image"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/kasir/pos/app"
)

// Limits bound what one document may cost the cloud.
type Limits struct {
	// MaxBytes is the largest document taken (default 16 MiB).
	MaxBytes int
	// MaxPages is the most pages a bill may have (default 8).
	MaxPages int
	// MaxLength is the longest page in dots at the printer's width
	// (default 6 × the width: a 4×6-inch label is 1.5 × its width).
	MaxLength int
	// Timeout bounds drawing one document (default 30 s).
	Timeout time.Duration
}

// Default limits.
const (
	DefaultMaxBytes = 16 << 20
	DefaultMaxPages = 8
	DefaultTimeout  = 30 * time.Second
	// defaultLengthRatio is MaxLength's default, as a multiple of the width.
	defaultLengthRatio = 6
	// maxHTMLHeight bounds an HTML document's drawing in pixels (a tall
	// page costs width × height × 4 bytes while it is drawn).
	maxHTMLHeight = 12000
)

func (l Limits) withDefaults(dots int) Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPages <= 0 {
		l.MaxPages = DefaultMaxPages
	}
	if l.MaxLength <= 0 {
		l.MaxLength = defaultLengthRatio * dots
	}
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	return l
}

// HTMLPage is how an HTML document is drawn: what it may load and run.
type HTMLPage struct {
	// URL is the address the document is shown at, so its relative links
	// resolve; empty shows it at an address that reaches nothing.
	URL string
	// Allow lists URL prefixes ("https://shipper.id/") the document may load
	// images and styles from; everything else is refused, so a bill never
	// reaches the cloud's own network.
	Allow []string
	// Script lets the document's JavaScript run (an issuer that draws its
	// barcodes with it); off, no script runs.
	Script bool
}

// HTML draws an HTML document as one image at least width pixels wide
// (wider when the document is), no longer than maxHeight pixels.
type HTML interface {
	Draw(ctx context.Context, doc []byte, mediaType string, page HTMLPage, width, maxHeight int) (image.Image, error)
}

// Rasterizer draws documents for a label printer.
type Rasterizer struct {
	// PDFToPPM is poppler's pdftoppm; empty is "pdftoppm" on the PATH.
	PDFToPPM string
	// HTML draws HTML documents; nil refuses them.
	HTML   HTML
	Limits Limits
}

// Kind is what a document is, by its bytes first and its media type after.
type Kind string

// Document kinds.
const (
	KindPDF   Kind = "pdf"
	KindImage Kind = "image"
	KindHTML  Kind = "html"
)

// Sniff tells what doc is: its first bytes win over the media type the
// platform gave, since platforms serve PDFs as application/octet-stream.
func Sniff(doc []byte, mediaType string) (Kind, error) {
	head := bytes.TrimLeft(doc[:min(len(doc), 1024)], "\xef\xbb\xbf \t\r\n")
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return KindPDF, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")), bytes.HasPrefix(head, []byte("\xff\xd8\xff")),
		bytes.HasPrefix(head, []byte("GIF8")):
		return KindImage, nil
	}
	mt, _, _ := mime.ParseMediaType(mediaType)
	if strings.HasPrefix(http.DetectContentType(doc), "text/html") || mt == "text/html" || mt == "application/xhtml+xml" {
		return KindHTML, nil
	}
	if mt == "application/pdf" {
		return "", app.Errorf(app.EInvalid, "the PDF is damaged: it does not start as a PDF does")
	}
	if mt == "" {
		mt = http.DetectContentType(doc)
	}
	return "", app.Errorf(app.EInvalid, "the document is not a PDF, an image or HTML (%s)", mt)
}

// Pages draws doc as pages exactly dots wide, black on white, each encoded
// as PNG. White margins are cut, so the label fills the printer's width.
// Errors are app errors: EInvalid for a document that cannot be drawn or
// breaks a limit, EInternal when a tool the cloud needs is missing.
func (r *Rasterizer) Pages(ctx context.Context, doc []byte, mediaType string, page HTMLPage, dots int) ([][]byte, error) {
	if err := app.ValidateBillDots(dots); err != nil {
		return nil, err
	}
	lim := r.Limits.withDefaults(dots)
	if len(doc) == 0 {
		return nil, app.Errorf(app.EInvalid, "the document is empty")
	}
	if len(doc) > lim.MaxBytes {
		return nil, app.Errorf(app.EInvalid, "the document is larger than %d MiB", lim.MaxBytes>>20)
	}
	kind, err := Sniff(doc, mediaType)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	// Pages are drawn wider than the printer, so that margins can be cut
	// and the label still scaled down, not up, to the printer's dots.
	drawWidth := min(max(3*dots, 1200), 3000)
	var out [][]byte
	keep := func(img image.Image) error {
		parts, err := label(img, dots, lim.MaxLength)
		if err != nil {
			return err
		}
		for _, p := range parts {
			if len(out) == lim.MaxPages {
				return app.Errorf(app.EInvalid, "the document has more than %d pages", lim.MaxPages)
			}
			png, err := encode(p)
			if err != nil {
				return err
			}
			out = append(out, png)
		}
		return nil
	}
	switch kind {
	case KindPDF:
		err = r.pdf(ctx, doc, drawWidth, lim, keep)
	case KindImage:
		var img image.Image
		if img, err = decodeImage(doc); err == nil {
			err = keep(img)
		}
	case KindHTML:
		if r.HTML == nil {
			return nil, app.Errorf(app.EInternal, "this cloud cannot draw HTML documents: no browser is set up")
		}
		var img image.Image
		if img, err = r.HTML.Draw(ctx, doc, mediaType, page, drawWidth, maxHTMLHeight); err == nil {
			err = keep(img)
		}
	}
	if errors.Is(err, context.DeadlineExceeded) || (err != nil && ctx.Err() != nil) {
		return nil, app.Errorf(app.EInvalid, "drawing the document took longer than %s", lim.Timeout)
	}
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, app.Errorf(app.EInvalid, "the document has nothing to print: every page is blank")
	}
	return out, nil
}
