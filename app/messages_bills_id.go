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
	"%s did not answer: the airway bill cannot be fetched now; try again":       "%s tidak menjawab: resi tidak bisa diambil sekarang; coba lagi",
	"this cloud cannot fetch %s's airway bills":                                 "cloud ini tidak bisa mengambil resi %s",
	"set the %s account first, then print its airway bills":                     "atur akun %s dulu, lalu cetak resinya",
	"%s refused the airway bill: %s":                                            "%s menolak memberi resi: %s",
	"%s's airway bill could not be printed: %s":                                 "Resi %s tidak bisa dicetak: %s",
	"the PDF is damaged: it does not start as a PDF does":                       "PDF rusak: awalnya tidak seperti PDF",
	"the document is not a PDF, an image or HTML (%s)":                          "dokumen bukan PDF, gambar, atau HTML (%s)",
	"the document is empty":                                                     "dokumen kosong",
	"the document is larger than %d MiB":                                        "dokumen lebih besar dari %d MiB",
	"the document has more than %d pages":                                       "dokumen lebih dari %d halaman",
	"this cloud cannot draw HTML documents: no browser is set up":               "cloud ini tidak bisa menggambar dokumen HTML: tidak ada browser yang dipasang",
	"drawing the document took longer than %s":                                  "menggambar dokumen memakan waktu lebih dari %s",
	"the document has nothing to print: every page is blank":                    "dokumen tidak berisi apa pun untuk dicetak: semua halaman kosong",
	"the image cannot be read: %s":                                              "gambar tidak bisa dibaca: %s",
	"the image is too large (%d×%d pixels)":                                     "gambar terlalu besar (%d×%d piksel)",
	"a page is longer than %d dots and has no blank line to cut it at":          "sebuah halaman lebih panjang dari %d titik dan tidak punya baris kosong untuk dipotong",
	"the PDF is damaged: %s":                                                    "PDF rusak: %s",
	"page %s of the PDF is %.0f×%.0f points: not a label's shape":               "halaman %s PDF berukuran %.0f×%.0f poin: bukan bentuk label",
	"this cloud cannot draw PDF documents: %s is not installed (poppler-utils)": "cloud ini tidak bisa menggambar dokumen PDF: %s tidak terpasang (poppler-utils)",
	"this cloud cannot draw HTML documents: chromium is not installed":          "cloud ini tidak bisa menggambar dokumen HTML: chromium tidak terpasang",
	"the label's address %q is not a web address":                               "alamat label %q bukan alamat web",
	"the HTML label is wider than %d pixels":                                    "label HTML lebih lebar dari %d piksel",
	"the browser's drawing of the label cannot be read: %s":                     "gambar label dari browser tidak bisa dibaca: %s",
	"the HTML label cannot be opened: %s":                                       "label HTML tidak bisa dibuka: %s",
	"the browser could not draw the label: %s":                                  "browser tidak bisa menggambar label: %s",
}

func init() {
	for k, v := range billsIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
