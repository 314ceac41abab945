package app

// The owner's back office's messages in Bahasa Indonesia, kept beside the
// other catalogues and merged into the catalogue.
var backofficeIndonesian = map[string]string{
	"the change log was pruned past the report's place": "log perubahan sudah dipangkas melewati posisi laporan",
	"e-mail or password is wrong":                       "e-mail atau kata sandi salah",
	"only the shop's owner can open the settings":       "hanya pemilik toko yang bisa membuka pengaturan",
	"no account for %s":                                 "tidak ada akun untuk %s",
	"session not found":                                 "sesi tidak ditemukan",
	"this reset link has expired":                       "tautan atur ulang ini sudah kedaluwarsa",
	"this reset link was used or does not exist":        "tautan atur ulang ini sudah dipakai atau tidak ada",
	"is required":                                       "wajib diisi",
	"is not a date like 2026-11-30":                     "bukan tanggal seperti 2026-11-30",
	"is not an e-mail address":                          "bukan alamat e-mail",
	"is required: choose a CSV file":                    "wajib diisi: pilih file CSV",
	"must be a whole number from 1":                     "harus bilangan bulat mulai 1",
	"must have at least 10 characters":                  "harus paling sedikit 10 karakter",
	"must have at most 200 characters":                  "harus paling banyak 200 karakter",
	"must be day, week, month or range":                 "harus day, week, month atau range",
	"must be owner or manager":                          "harus owner atau manager",
	"is not one of the order tabs":                      "bukan salah satu tab pesanan",
	"is not an amount like 15000":                       "bukan jumlah seperti 15000",
	"must be a whole number, 0 or more":                 "harus bilangan bulat, 0 atau lebih",
	"is not an action for several orders":               "bukan tindakan untuk beberapa pesanan",
	"choose at least one order":                         "pilih paling sedikit satu pesanan",
	"at most %d orders at once":                         "paling banyak %d pesanan sekaligus",
	"action":                                            "tindakan",
	"email":                                             "e-mail",
	"password":                                          "kata sandi",
	"file":                                              "file",
	"page":                                              "halaman",
	"period":                                            "periode",
	"day":                                               "hari",
	"tab":                                               "tab",
	"Acceptance window":                                 "Batas waktu terima",
	"for %s is not a whole number of hours":             "untuk %s bukan bilangan bulat jam",
	"must be cashier, packer or owner":                  "harus kasir, pengemas atau pemilik",
	"is not a kind of account":                          "bukan jenis akun",
	"kind":                                              "jenis",
	"the cloud was started without a secrets key, so it keeps no accounts": "cloud dijalankan tanpa kunci rahasia, jadi tidak menyimpan akun",
	"pairing code":                    "kode pemasangan",
	"is not a Kasir pairing code":     "bukan kode pemasangan Kasir",
	"cloud":                           "cloud",
	"is not an http or https address": "bukan alamat http atau https",
	"token":                           "token",
	"channel":                         "kanal",
	"%s listings cannot be read by this cloud":                       "listing %s tidak bisa dibaca oleh cloud ini",
	"set the %s account first, then read its listings":               "atur akun %s dulu, lalu baca listingnya",
	"listing %s not found":                                           "listing %s tidak ditemukan",
	"%s is not in the catalogue":                                     "%s tidak ada di katalog",
	"%s is already in the catalogue: link the listing to it instead": "%s sudah ada di katalog: tautkan listing ke produk itu",
}

func init() {
	for k, v := range backofficeIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
