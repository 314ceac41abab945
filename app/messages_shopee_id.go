package app

// Shopee's connector and the per-channel ordering rules, in Bahasa
// Indonesia, merged into the catalogue.
var shopeeIndonesian = map[string]string{
	"%s gave the tracking ID %s (%s)":                                                           "%s memberi nomor resi %s (%s)",
	"%s gave the tracking ID %s":                                                                "%s memberi nomor resi %s",
	"Shopee could not make the airway bill":                                                     "Shopee tidak bisa membuat resi (airway bill)",
	"Shopee has not given the parcel a tracking number yet":                                     "Shopee belum memberi nomor resi untuk paket ini",
	"Shopee needs the courier's tracking ID for this drop-off":                                  "Shopee memerlukan nomor resi kurir untuk drop-off ini",
	"Shopee needs the sender's real name for this drop-off; arrange it in Shopee Seller Centre": "Shopee memerlukan nama asli pengirim untuk drop-off ini; atur di Shopee Seller Centre",
	"Shopee offers no drop-off branch for this order":                                           "Shopee tidak menawarkan cabang drop-off untuk pesanan ini",
	"Shopee offers no pickup for this order: arrange a drop-off":                                "Shopee tidak menawarkan penjemputan untuk pesanan ini: atur antar ke titik drop-off",
	"Shopee offers no pickup time at this address":                                              "Shopee tidak menawarkan waktu penjemputan di alamat ini",
	"Shopee sent an empty airway bill":                                                          "Shopee mengirim resi (airway bill) kosong",
	"is not Shopee's order detail: %s":                                                          "bukan rincian pesanan Shopee: %s",
	"is not a Shopee push: %s":                                                                  "bukan push Shopee: %s",
	"is not a URL: %s":                                                                          "bukan URL: %s",
	"is not a tracking ID: %q":                                                                  "bukan nomor resi: %q",
	"is not set: authorize the shop at Shopee first":                                            "belum diisi: izinkan toko di Shopee dulu",
	"is required: Shopee names it in the redirect":                                              "wajib diisi: Shopee menyebutkannya di alamat pengalihan",
	"must be a non-negative amount in %s, got %v":                                               "harus jumlah tidak negatif dalam %s, diterima %v",
	"must be a positive whole number, got %q":                                                   "harus bilangan bulat positif, diterima %q",
	"must be an absolute URL, got %q":                                                           "harus URL lengkap, diterima %q",
	"must be before to":                                                                         "harus sebelum waktu akhir",
	"pickup address is not set":                                                                 "alamat penjemputan belum diatur",
	"stock of %s not set: %s":                                                                   "stok %s tidak diatur: %s",
	"the push is not JSON: %s":                                                                  "push bukan JSON: %s",
	"unknown Shopee status %q":                                                                  "status Shopee %q tidak dikenal",
	"unknown currency %q":                                                                       "mata uang %q tidak dikenal",
	"Shopee does not know this partner: %s":                                                     "Shopee tidak mengenal partner ini: %s",
	"Shopee does not link this shop to the partner: %s":                                         "Shopee tidak menautkan toko ini ke partner: %s",
	"Shopee refused it: %s":                                                                     "Shopee menolaknya: %s",
	"Shopee refused the signature made with it: %s":                                             "Shopee menolak tanda tangan yang dibuat dengannya: %s",
	"decline the cancel request":                                                                "menolak permintaan pembatalan",
	"%s; %s":                                                                                    "%s; %s",
	"%s; the pickup is cancelled with it":                                                       "%s; penjemputan ikut dibatalkan",
	"the buyer asked %s to cancel: approve or decline the request first":                        "pembeli meminta %s membatalkan: setujui atau tolak permintaannya dulu",
}

func init() {
	for k, v := range shopeeIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
