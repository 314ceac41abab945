// Package printout is a printout as a document and how it looks on paper:
// the blocks of a receipt, label or slip, the builders that lay them out
// from an order, the printer profiles that say how wide the paper is, and
// Render, which draws a document dot for dot as a thermal printer prints it.
// It knows nothing of the bytes a printer is sent or of queues: package
// printer encodes the same Layout to ESC/POS, so the preview is what prints,
// and the cloud's back office draws labels without linking a printer.
package printout

import "image"

// Document is one printout as a list of blocks. The same Document is drawn
// as an image (Render) and encoded for the printer (printer.Encode), both
// from its Layout, so the preview on the tablet is what the printer produces.
type Document struct {
	// Blocks are printed top to bottom.
	Blocks []Block
	// Warnings are problems the builder worked around (a tracking ID printed
	// without its barcode, say); the UI shows them next to the preview.
	Warnings []string
}

// Add appends blocks to the document.
func (d *Document) Add(b ...Block) { d.Blocks = append(d.Blocks, b...) }

// Block is one element of a Document: Text, Separator, Columns, Barcode, QR,
// Image, Feed or Cut.
type Block interface{ block() }

// Align is the horizontal position of a line or symbol on the paper.
type Align uint8

// Alignments, with the values ESC a takes.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// Text is a paragraph, wrapped at word boundaries to the profile's line width.
type Text struct {
	Text      string
	Align     Align
	Bold      bool
	Underline bool
	// Width and Height multiply the character size (1..4); 0 means 1.
	Width, Height int
	// Indent starts every wrapped line this many characters in.
	Indent int
}

// Separator is a full-width line of one character ('-' when zero).
type Separator struct{ Char rune }

// Columns is a two-column row: Left is wrapped in the space Right leaves, and
// Right is aligned to the right edge on the first line.
type Columns struct {
	Left, Right string
	Bold        bool
	// Height doubles the row's height when 2 (a receipt's TOTAL); 0 means 1.
	Height int
}

// Barcode is a CODE128 symbol with its text printed below it.
type Barcode struct {
	Data string
	// Height is the bar height in dots; 0 means 80 (10 mm).
	Height int
}

// QR is a QR code (model 2). It is sent with GS ( k to printers that have it
// and as a raster image to the others; both print the same modules.
type QR struct {
	Data string
	// Dots is the largest side the symbol may take; 0 picks one from the paper width.
	Dots int
	EC   ECLevel
	// Align places the symbol; QR codes are centred by default (zero is AlignLeft, so builders set it).
	Align Align
}

// Image is a picture (a logo), thresholded to black and white and scaled to fit.
type Image struct {
	Img   image.Image
	Align Align
}

// Feed advances the paper by Lines empty lines.
type Feed struct{ Lines int }

// OpenDrawer kicks the cash drawer wired to the printer open; printers whose
// profile has no drawer ignore it.
type OpenDrawer struct{}

func (OpenDrawer) block() {}

// Cut ends the document: a cut on printers with a cutter, a feed to the tear bar on others.
type Cut struct{}

func (Text) block()      {}
func (Separator) block() {}
func (Columns) block()   {}
func (Barcode) block()   {}
func (QR) block()        {}
func (Image) block()     {}
func (Feed) block()      {}
func (Cut) block()       {}
