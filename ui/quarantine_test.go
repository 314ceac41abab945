package ui

import (
	"sync"
	"testing"

	"fyne.io/fyne/v2/widget"
)

func TestOnQuarantinedNamesTheOrderInADangerBanner(t *testing.T) {
	f := newFixture(t, "Owner")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the sync layer calls it from its own goroutine
		defer wg.Done()
		f.m.OnQuarantined([]string{"WEB-1234"}, 0)
	}()
	wg.Wait()
	want := "1 order could not be stored on this tablet: WEB-1234"
	if !f.m.banner.Visible() || f.m.bannerText.Text != want {
		t.Fatalf("banner %v %q, want %q", f.m.banner.Visible(), f.m.bannerText.Text, want)
	}
	if f.m.bannerText.Importance != widget.DangerImportance {
		t.Errorf("banner importance %v, want danger", f.m.bannerText.Importance)
	}
	f.m.showBanner("Shop settings saved")
	f.m.OnQuarantined(nil, 0)
	if f.m.bannerText.Text != "Shop settings saved" {
		t.Errorf("an empty list changed the banner to %q", f.m.bannerText.Text)
	}
}
