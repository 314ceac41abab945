package app

import "testing"

func TestBillWaitingSaysWhyInTheStaffsLanguage(t *testing.T) {
	cases := []struct {
		err    error
		en, id string
	}{
		{Errorf(EUnreachable, "The cloud did not answer: the airway bill cannot be fetched now"),
			"Waiting for Shopee's airway bill: cloud unreachable", "Menunggu resi Shopee: cloud tidak terjangkau"},
		{Errorf(EConflict, "%s's airway bill is not ready: the order has no tracking number yet", "Shopee"),
			"Waiting for Shopee's airway bill: Shopee has not made it yet", "Menunggu resi Shopee: Shopee belum membuatnya"},
		{Errorf(EForbidden, "Authorization: Bearer <terminal token> is required"),
			"Waiting for Shopee's airway bill: the cloud refused this tablet (pair it again in Settings)",
			"Menunggu resi Shopee: cloud menolak tablet ini (sambungkan lagi di Pengaturan)"},
	}
	for _, c := range cases {
		err := BillWaiting(BillShopee, c.err)
		if ErrorCode(err) != EBillWaiting || ErrorMessage(err) != c.en || ErrorMessageIn(err, Indonesian) != c.id {
			t.Errorf("%v: %s %q / %q", c.err, ErrorCode(err), ErrorMessage(err), ErrorMessageIn(err, Indonesian))
		}
	}
	refused := Errorf(ERefused, "%s refused the airway bill: %s", "Lazada", "package not found")
	err := BillNotPrinted(BillLazada, refused)
	if ErrorCode(err) != ERefused || ErrorMessage(err) != "Lazada's airway bill could not be printed: Lazada refused the airway bill: package not found" ||
		ErrorMessageIn(err, Indonesian) != "Resi Lazada tidak bisa dicetak: Lazada menolak memberi resi: package not found" {
		t.Errorf("not printed: %s %q / %q", ErrorCode(err), ErrorMessage(err), ErrorMessageIn(err, Indonesian))
	}
	for code, lasting := range map[string]bool{ERefused: true, ENotFound: true, EInvalid: true, EUnreachable: false, EConflict: false, EForbidden: false} {
		if BillLasting(Errorf(code, "x")) != lasting {
			t.Errorf("%s: lasting should be %v", code, lasting)
		}
	}
}
