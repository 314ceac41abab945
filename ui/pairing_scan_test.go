package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

func TestScannedPairingCodeFillsTheCloudForm(t *testing.T) {
	test.NewTempApp(t)
	url, token := &widget.Entry{Text: "typed"}, &widget.Entry{Text: "kept"}
	embedded := &widget.Check{Checked: true}

	if err := fillFromPairing("4901234567894", url, token, embedded); err == nil {
		t.Fatal("a product barcode was read as a pairing code")
	}
	if url.Text != "typed" || token.Text != "kept" || !embedded.Checked {
		t.Fatalf("a refused code changed the form: %q %q %v", url.Text, token.Text, embedded.Checked)
	}

	code := app.Pairing{CloudURL: "https://cloud.toko.id", Token: "tok-123"}.Text()
	if err := fillFromPairing(code, url, token, embedded); err != nil {
		t.Fatal(err)
	}
	if url.Text != "https://cloud.toko.id" || token.Text != "tok-123" || embedded.Checked {
		t.Fatalf("form after scan: %q %q embedded=%v", url.Text, token.Text, embedded.Checked)
	}
}
