package app

// The staff list's and staff proofs' messages in Bahasa Indonesia, kept
// beside their own code and merged into the catalogue.
var staffIndonesian = map[string]string{
	"add staff":                             "menambah staf",
	"remove staff":                          "menghapus staf",
	"%s is not on the staff list":           "%s tidak ada di daftar staf",
	"the shop needs at least one owner":     "toko perlu setidaknya satu pemilik",
	"unknown staff action %q":               "tindakan staf %q tidak dikenal",
	"must be 16 to 64 bytes":                "harus 16 sampai 64 byte",
	"must not contain control characters":   "tidak boleh berisi karakter kontrol",
	"could not be read from standard input": "tidak dapat dibaca dari masukan standar",
	"must be 16 to 128 characters":          "harus 16 sampai 128 karakter",
	"the PIN behind this change is wrong":   "PIN untuk perubahan ini salah",
	"the approval of %s is not proven: the owner must type their PIN on this terminal": "persetujuan %s tidak terbukti: pemilik harus mengetik PIN-nya di terminal ini",
	"only the owner can approve this; %s is not an owner":                              "hanya pemilik yang bisa menyetujui ini; %s bukan pemilik",
	"too many wrong PINs on this terminal; try again in %d minutes":                    "terlalu banyak PIN salah di terminal ini; coba lagi dalam %d menit",
}

func init() {
	for k, v := range staffIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
