package app

import (
	"strings"
	"testing"
)

// A courier account is refused at set time, naming the field, when the
// provider would refuse every booking for want of the sender's phone.
func TestCourierAccountNeedsTheSendersPhone(t *testing.T) {
	cases := []struct {
		kind AccountKind
		raw  string
		want string
	}{
		{AccountShipper, `{"api_key":"k","webhook_url":"https://c.example.id/push","origin_area_id":"4711"}`, "is required"},
		{AccountShipper, `{"api_key":"k","webhook_url":"https://c.example.id/push","origin_area_id":"4711","contact_phone":"call me"}`, "may hold only digits"},
		{AccountBiteship, `{"api_key":"k","webhook_header":"X-H","webhook_secret":"s","origin_postal_code":"12440","contact_phone":"12"}`, "must have"},
		{AccountBiteship, `{"api_key":"k","webhook_header":"X-H","webhook_secret":"s","origin_postal_code":"12440"}`, "is required"},
	}
	for _, c := range cases {
		_, err := ParseAccount(c.kind, []byte(c.raw))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "Contact phone") {
			t.Errorf("%s %s: got %v, want an error naming Contact phone (%s)", c.kind, c.raw, err, c.want)
		}
	}
	fields, err := ParseAccount(AccountShipper, []byte(`{"api_key":"k","webhook_url":"https://c.example.id/push","origin_area_id":"4711","contact_phone":"0812-1111-2222"}`))
	if err != nil || fields["contact_phone"] != "0812-1111-2222" {
		t.Fatalf("a written phone: %v %v", fields, err)
	}
}
