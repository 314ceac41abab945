package app

// The accounts' messages in Bahasa Indonesia, kept beside
// their own code and merged into the catalogue.
var houseIndonesian = map[string]string{
	"unknown account kind %q (use %s)":                          "jenis akun %q tidak dikenal (gunakan %s)",
	"unknown account kind %q":                                   "jenis akun %q tidak dikenal",
	"is not a JSON object of credentials: %s":                   "bukan objek JSON berisi kredensial: %s",
	"is not a %s credential field (fields: %s)":                 "bukan kolom kredensial %s (kolom: %s)",
	"is required for a %s account":                              "wajib diisi untuk akun %s",
	"is required, or else origin_latitude and origin_longitude": "wajib diisi, atau isi origin_latitude dan origin_longitude",
	"must be a string":                                          "harus berupa teks",
	"is longer than %d bytes":                                   "lebih panjang dari %d byte",
	"must be a number, got %q":                                  "harus berupa angka, bukan %q",
	"must be a port from 1 to 65535, got %q":                    "harus berupa port 1 sampai 65535, bukan %q",
	"must be a decimal number, got %q":                          "harus berupa angka desimal, bukan %q",
	"must be an http or https URL, got %q":                      "harus berupa URL http atau https, bukan %q",
	"must be an e-mail address, got %q":                         "harus berupa alamat e-mail, bukan %q",
	"must be a time like 2026-12-31T23:59:00Z, got %q":          "harus berupa waktu seperti 2026-12-31T23:59:00Z, bukan %q",
	"must not contain spaces":                                   "tidak boleh berisi spasi",
	"must be one of %s, got %q":                                 "harus salah satu dari %s, bukan %q",
}

func init() {
	for k, v := range houseIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
