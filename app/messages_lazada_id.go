package app

// Lazada's connector messages and its per-line rules in Bahasa Indonesia,
// kept beside their own code and merged into the catalogue.
var lazadaIndonesian = map[string]string{
	"%s cancelled %s; the rest of the order goes on": "%s membatalkan %s; sisa pesanan tetap berjalan",
	"%s cancelled %s":                                     "%s membatalkan %s",
	"%s added %s":                                         "%s menambahkan %s",
	"%s; fetching its tracking number":                    "%s; mengambil nomor resinya",
	"Lazada refused it: %s":                               "Lazada menolaknya: %s",
	"is %s, but the access token is seller %s's":          "adalah %s, tetapi token akses milik penjual %s",
	"%s described %s":                                     "%s melengkapi rincian %s",
	"an order needs at least one item":                    "pesanan perlu setidaknya satu barang",
	"are not Lazada's GetOrderItems data: %s":             "bukan data GetOrderItems Lazada: %s",
	"are not Lazada's order and items: %s":                "bukan pesanan dan barang Lazada: %s",
	"are not Lazada's order items: %s":                    "bukan barang pesanan Lazada: %s",
	"is %s, but Lazada authorized seller %s":              "adalah %s, tetapi Lazada memberi izin untuk penjual %s",
	"is more than the items and shipping together":        "lebih besar dari barang dan ongkir digabung",
	"is not Lazada's GetOrder data: %s":                   "bukan data GetOrder Lazada: %s",
	"is required to renew a Lazada token":                 "wajib ada untuk memperbarui token Lazada",
	"unknown Lazada status %q":                            "status Lazada %q tidak dikenal",
	"must be a whole, non-negative rupiah amount, got %q": "harus jumlah rupiah bulat dan tidak negatif, didapat %q",
	"is %s; this shop sells in %s":                        "adalah %s; toko ini berjualan dalam %s",
}

func init() {
	for k, v := range lazadaIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
