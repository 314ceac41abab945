package app

// The messages of a shop's several WooCommerce stores (woostore.go) in
// Bahasa Indonesia, kept apart and merged into the catalogue.
var wooStoresIndonesian = map[string]string{
	"must be the WooCommerce store's address, like https://toko.example.id, got %q": "harus alamat toko WooCommerce, seperti https://toko.example.id, bukan %q",
	"must name a WooCommerce store of at most %d characters":                        "harus menyebut toko WooCommerce dengan paling banyak %d karakter",
	"must name a WooCommerce store by its address, got %q":                          "harus menyebut toko WooCommerce dengan alamatnya, bukan %q",
	// Removing a store (cloud/woostore_remove.go, cloud/account.go).
	"names no WooCommerce store of the shop: %s":                                     "tidak menyebut toko WooCommerce milik toko ini: %s",
	"only a WooCommerce store can be removed; set the %s account again to change it": "hanya toko WooCommerce yang bisa dihapus; atur lagi akun %s untuk mengubahnya",
	"is required: the address of the WooCommerce store to remove":                    "wajib diisi: alamat toko WooCommerce yang akan dihapus",
}

func init() {
	for k, v := range wooStoresIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
