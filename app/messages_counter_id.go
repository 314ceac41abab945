package app

// The counter's messages (the register screen's own checks) in Bahasa
// Indonesia, merged into the catalogue like the staff list's.
var counterIndonesian = map[string]string{
	"%q is not an amount":                     "%q bukan jumlah uang",
	"a %s payment needs its reference number": "pembayaran %s perlu nomor referensinya",
	"amount received":                         "jumlah diterima",
	"only the owner can allow this":           "hanya pemilik yang dapat mengizinkan ini",
	"the register has no store":               "kasir tidak punya penyimpanan",
	"cashier discount limit":                  "batas diskon kasir",
	"%q is not a percentage like 10%%":        "%q bukan persentase seperti 10%%",
}

func init() {
	for k, v := range counterIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
