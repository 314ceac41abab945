package app

// The TikTok Shop connector's messages (channel/tiktok) in Bahasa
// Indonesia, kept apart and merged into the catalogue.
var tiktokIndonesian = map[string]string{
	"%q is not a currency this shop keeps":                              "%q bukan mata uang yang dipakai toko ini",
	"%s is not among the shops this seller authorized":                  "%s tidak termasuk toko yang diizinkan penjual ini",
	"TikTok Shop gave no shipping label for package %s":                 "TikTok Shop tidak memberi label pengiriman untuk paket %s",
	"TikTok Shop has no order %s":                                       "TikTok Shop tidak punya pesanan %s",
	"TikTok Shop has no package for order %s yet":                       "TikTok Shop belum punya paket untuk pesanan %s",
	"TikTok Shop offers no pickup for this package: arrange a drop-off": "TikTok Shop tidak menawarkan penjemputan untuk paket ini: atur antar ke titik drop-off",
	"TikTok Shop cancellation %s by %s changes nothing here":            "pembatalan TikTok Shop %s oleh %s tidak mengubah apa pun di sini",
	"is not the cipher TikTok Shop gives shop %s":                       "bukan cipher yang diberikan TikTok Shop untuk toko %s",
	"TikTok Shop refused the signature made with it: %s":                "TikTok Shop menolak tanda tangan yang dibuat dengannya: %s",
	"TikTok Shop refused it: %s":                                        "TikTok Shop menolaknya: %s",
	"TikTok Shop refused to renew the token: %s":                        "TikTok Shop menolak memperbarui token: %s",
	"TikTok Shop refused the account: %s":                               "TikTok Shop menolak akun ini: %s",
	"TikTok Shop webhook type %d is not read":                           "webhook TikTok Shop jenis %d tidak dibaca",
	"is more than the line items, shipping and tax together":            "lebih besar dari jumlah barang, ongkos kirim dan pajak",
	"is not JSON: %s":                                                                         "bukan JSON: %s",
	"is not TikTok Shop's order: %s":                                                          "bukan pesanan TikTok Shop: %s",
	"is not TikTok Shop's webhook: %s":                                                        "bukan webhook TikTok Shop: %s",
	"is not known yet: authorize the shop at TikTok Shop first":                               "belum diketahui: izinkan toko di TikTok Shop dulu",
	"is not set: authorize the shop at TikTok Shop first":                                     "belum diisi: izinkan toko di TikTok Shop dulu",
	"is required to send the owner to TikTok Shop's authorization page":                       "wajib diisi untuk membuka halaman izin TikTok Shop bagi pemilik",
	"is required: the seller authorized %d shops":                                             "wajib diisi: penjual mengizinkan %d toko",
	"must be a non-negative amount in %s, got %q":                                             "harus jumlah tidak negatif dalam %s, diterima %q",
	"must be a time like 2026-01-02T15:04:05Z, got %q":                                        "harus waktu seperti 2026-01-02T15:04:05Z, diterima %q",
	"the access token expired and the account has no refresh token: authorize the shop again": "token akses kedaluwarsa dan akun tidak punya refresh token: izinkan toko lagi",
	"the token answer carries no access_token":                                                "jawaban token tidak berisi access_token",
	"unknown TikTok Shop status %q":                                                           "status TikTok Shop %q tidak dikenal",
	// Shipping with the shop's own courier (channel/tiktok/selfship.go).
	"TikTok Shop names no delivery option for order %s, so no courier of the shop's can be given": "TikTok Shop tidak menyebut opsi pengiriman untuk pesanan %s, jadi kurir milik toko tidak bisa diberikan",
	"TikTok Shop does not know the courier %s for this order; it accepts: %s":                     "TikTok Shop tidak mengenal kurir %s untuk pesanan ini; yang diterima: %s",
}

func init() {
	for k, v := range tiktokIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
