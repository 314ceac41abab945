package app

// The terminal's own settings' messages in Bahasa Indonesia, kept beside
// their own code and merged into the catalogue.
var settingsIndonesian = map[string]string{
	"The saved %s setting cannot be read, so its defaults apply until it is saved again":       "Pengaturan %s yang tersimpan tidak bisa dibaca, jadi nilai bawaannya dipakai sampai disimpan lagi",
	"The saved %s setting no longer holds (%s), so its defaults apply until it is saved again": "Pengaturan %s yang tersimpan tidak berlaku lagi (%s), jadi nilai bawaannya dipakai sampai disimpan lagi",
	"is not this setting's JSON: %s": "bukan JSON pengaturan ini: %s",
	"Printing setup":                 "Pengaturan pencetakan",
	"Cloud sync":                     "Sinkronisasi cloud",
	"Terminal preferences":           "Preferensi terminal",
	"shop":                           "toko",
	"printing":                       "pencetakan",
	"terminal preferences":           "preferensi terminal",
	"cloud":                          "cloud",
	"terminal name":                  "nama terminal",
	"must not be empty":              "tidak boleh kosong",
	"must be positive, got %d":       "harus positif, bukan %d",
	"%d is not a multiple of 8 (raster images are sent in whole bytes)": "%d bukan kelipatan 8 (gambar raster dikirim dalam byte utuh)",
	"%d is wider than any printer":                                      "%d lebih lebar dari printer mana pun",
	"%d characters of %d dots do not fit in %d dots":                    "%d karakter selebar %d titik tidak muat dalam %d titik",
	"%q is not supported (use PC437, PC850, PC858 or WPC1252)":          "%q tidak didukung (gunakan PC437, PC850, PC858 atau WPC1252)",
	"%q is not a preset (known: %s)":                                    "%q bukan profil bawaan (yang ada: %s)",
	"%q is a preset; give your profile its own name":                    "%q adalah profil bawaan; beri profil Anda nama sendiri",
	"%q is not a preset or one of the shop's profiles":                  "%q bukan profil bawaan atau salah satu profil toko",
	"is not an address like tcp://192.168.1.50:9100, got %q":            "bukan alamat seperti tcp://192.168.1.50:9100, melainkan %q",
	"needs the printer's host, like tcp://192.168.1.50:9100":            "perlu host printer, seperti tcp://192.168.1.50:9100",
	"needs a path, like usb:///dev/usb/lp0 or file:///tmp/out.bin":      "perlu path, seperti usb:///dev/usb/lp0 atau file:///tmp/out.bin",
	"must start with tcp://, usb:// or file://, got %q":                 "harus diawali tcp://, usb:// atau file://, bukan %q",
	"Terminal name":          "Nama terminal",
	"Code page":              "Halaman kode",
	"Printer profile":        "Profil printer",
	"Shop name":              "Nama toko",
	"Shop address":           "Alamat toko",
	"Shop phone":             "Telepon toko",
	"Receipt footer":         "Penutup struk",
	"Receipt link":           "Tautan struk",
	"Printer":                "Printer",
	"address":                "alamat",
	"profile":                "profil",
	"Profile":                "Profil",
	"width":                  "lebar",
	"characters per line":    "karakter per baris",
	"Characters per line":    "Karakter per baris",
	"code page":              "halaman kode",
	"Automatic receipts for": "Struk otomatis untuk",
}

func init() {
	for k, v := range settingsIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
