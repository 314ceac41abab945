package app

import (
	"errors"
	"testing"
)

func TestCloudSettingValidateNamesTheField(t *testing.T) {
	for _, c := range []struct {
		s     CloudSetting
		field string
	}{
		{CloudSetting{}, ""},
		{CloudSetting{Embedded: true, URL: "not a url"}, ""},
		{CloudSetting{URL: "https://cloud.example", Token: "pos_x"}, ""},
		{CloudSetting{URL: "cloud.example", Token: "pos_x"}, "url"},
		{CloudSetting{URL: "ftp://cloud.example", Token: "pos_x"}, "url"},
		{CloudSetting{URL: "https://cloud.example", Token: "  "}, "token"},
	} {
		err := c.s.Validate()
		got := ""
		var e *Error
		if errors.As(err, &e) {
			got = string(e.Field)
		}
		if got != c.field || (c.field == "") != (err == nil) {
			t.Errorf("%+v: %v (field %q), want field %q", c.s, err, got, c.field)
		}
	}
	if (Prefs{Language: "id"}).Lang() != Indonesian || (Prefs{Language: "xx"}).Lang() != English {
		t.Error("Prefs.Lang")
	}
}
