package app

// The airway bills' messages (bill.go, the cloud's bill endpoint and the
// terminal's question for it) in Bahasa Indonesia, merged into the catalogue.
var billsIndonesian = map[string]string{
	"This order has no airway bill from a platform: the register's own label is its label": "Pesanan ini tidak punya resi dari platform: label kasir sendiri adalah labelnya",
	"%s's airway bill is not printed: the order is cancelled":                              "Resi %s tidak dicetak: pesanan dibatalkan",
	"%s's label is not ready: the booking is not made yet":                                 "Label %s belum siap: pemesanan belum dibuat",
	"%s's airway bill is not ready: the order has no tracking number yet":                  "Resi %s belum siap: pesanan belum punya nomor resi",
	"The tablet is offline: the airway bill cannot be fetched now":                         "Tablet sedang offline: resi tidak bisa diambil sekarang",
	"The cloud did not answer: the airway bill cannot be fetched now":                      "Cloud tidak menjawab: resi tidak bisa diambil sekarang",
	"The cloud's airway bill could not be read: %s":                                        "Resi dari cloud tidak bisa dibaca: %s",
	"The cloud's airway bill has no page at the printer's width":                           "Resi dari cloud tidak punya halaman selebar printer",
	"Printer width":         "Lebar printer",
	"must be %d to %d dots": "harus %d sampai %d titik",
	"%s did not answer: the airway bill cannot be fetched now; try again": "%s tidak menjawab: resi tidak bisa diambil sekarang; coba lagi",
	"%s refused the airway bill: %s":                                      "%s menolak memberi resi: %s",
	"%s's airway bill could not be printed: %s":                           "Resi %s tidak bisa dicetak: %s",
}

func init() {
	for k, v := range billsIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
