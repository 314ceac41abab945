package printout

import (
	"image"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

var sampleTime = time.Date(2026, 11, 23, 14, 5, 0, 0, time.FixedZone("WIB", 7*3600))

func mustPreset(t testing.TB, name string) Profile {
	t.Helper()
	p, err := Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// decodeQRImage finds and decodes a QR code in img with a real decoder.
func decodeQRImage(img image.Image) (string, error) {
	// The raster carries no quiet zone of its own; the paper around it is white.
	b := img.Bounds()
	pad := image.NewGray(image.Rect(0, 0, b.Dx()+80, b.Dy()+80))
	for i := range pad.Pix {
		pad.Pix[i] = 255
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			pad.Set(x+40, y+40, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(pad)
	if err != nil {
		return "", err
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
