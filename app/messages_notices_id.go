package app

// The buyer notices' messages in Bahasa Indonesia, kept beside their own
// code and merged into the catalogue.
var noticesIndonesian = map[string]string{
	"order received":                          "pesanan diterima toko",
	"order confirmed":                         "pesanan dikonfirmasi",
	"payment receipt denied":                  "bukti bayar ditolak",
	"payment accepted":                        "pembayaran diterima",
	"order shipped":                           "pesanan dikirim",
	"order delivered":                         "pesanan sampai",
	"order cancelled":                         "pesanan dibatalkan",
	"refund made":                             "dana dikembalikan",
	"record a notice to the buyer":            "mencatat pemberitahuan ke pembeli",
	"issue the order page link":               "membuat tautan halaman pesanan",
	"%q is not a notice event (use %s)":       "%q bukan jenis pemberitahuan (pakai %s)",
	"must be email, whatsapp or none, not %q": "harus email, whatsapp atau none, bukan %q",
	"%q is not a notice state":                "%q bukan status pemberitahuan",
	"sending e-mail to %s (%s)":               "mengirim e-mail ke %s (%s)",
	"e-mail sent to %s (%s): %s":              "e-mail terkirim ke %s (%s): %s",
	"e-mail failed: %s, retrying (%s)":        "e-mail gagal: %s, dicoba lagi (%s)",
	"e-mail failed: %s; not sent (%s)":        "e-mail gagal: %s; tidak terkirim (%s)",
	"e-mail to %s may not have been sent: the cloud stopped while sending; not sent again (%s)": "e-mail ke %s mungkin tidak terkirim: cloud berhenti saat mengirim; tidak dikirim ulang (%s)",
	"no contact to notify (%s)":                                                  "tidak ada kontak untuk diberi tahu (%s)",
	"no e-mail address: send it on WhatsApp from the order (%s)":                 "tidak ada alamat e-mail: kirim lewat WhatsApp dari pesanan (%s)",
	"not sent: the shop switched this notice off (%s)":                           "tidak dikirim: toko mematikan pemberitahuan ini (%s)",
	"WhatsApp opened by %s (%s)":                                                 "WhatsApp dibuka oleh %s (%s)",
	"notice %s via %s: %s (%s)":                                                  "pemberitahuan %s lewat %s: %s (%s)",
	"must be 20 to %d letters, digits, -, _ or .":                                "harus 20 sampai %d huruf, angka, -, _ atau .",
	"Order page link issued":                                                     "Tautan halaman pesanan dibuat",
	"Order page link replaced; the old link no longer works":                     "Tautan halaman pesanan diganti; tautan lama tidak berlaku lagi",
	"has the unknown placeholder {%s} (known: %s)":                               "memuat isian tak dikenal {%s} (yang dikenal: %s)",
	"has a brace that does not close a placeholder":                              "memuat kurung kurawal yang tidak menutup isian",
	"must be one line":                                                           "harus satu baris",
	"%q must be an event and en or id, like shipped.id":                          "%q harus jenis pemberitahuan dan en atau id, misalnya shipped.id",
	"must be an http or https URL, got %q":                                       "harus URL http atau https, bukan %q",
	"for %s must be an https URL, got %q":                                        "untuk %s harus URL https, bukan %q",
	"for %s must hold {tracking_id}":                                             "untuk %s harus memuat {tracking_id}",
	"is not an e-mail address: %q":                                               "bukan alamat e-mail: %q",
	"order page address":                                                         "alamat halaman pesanan",
	"tracking link":                                                              "tautan lacak",
	"notice template":                                                            "templat pemberitahuan",
	"the transfer amount does not match the total":                               "jumlah transfer tidak sama dengan total",
	"out of stock":                                                               "stok habis",
	"%q is not a phone number":                                                   "%q bukan nomor telepon",
	"WhatsApp template":                                                          "templat WhatsApp",
	"for %s must be a template name of lower-case letters, digits and _, got %q": "untuk %s harus nama templat dari huruf kecil, angka dan _, bukan %q",
	"sending WhatsApp to %s (%s)":                                                "mengirim WhatsApp ke %s (%s)",
	"WhatsApp sent to %s (%s): %s":                                               "WhatsApp terkirim ke %s (%s): %s",
	"WhatsApp failed: %s, retrying (%s)":                                         "WhatsApp gagal: %s, dicoba lagi (%s)",
	"WhatsApp failed: %s; not sent (%s)":                                         "WhatsApp gagal: %s; tidak terkirim (%s)",
	"WhatsApp to %s may not have been sent: the cloud stopped while sending; not sent again (%s)": "WhatsApp ke %s mungkin tidak terkirim: cloud berhenti saat mengirim; tidak dikirim ulang (%s)",
	"there":                        "Kak",
	"no reason given":              "tanpa alasan",
	"is required":                  "wajib diisi",
	"is longer than %d characters": "lebih dari %d karakter",
}

func init() {
	for k, v := range noticesIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
