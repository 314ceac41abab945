package app

// The owner's listing links (incoming lines, stock pushes, listings read
// on a schedule), in Bahasa Indonesia, merged into the catalogue.
var linksIndonesian = map[string]string{
	"%s is not a Tokopedia product id":        "%s bukan id produk Tokopedia",
	"%s is not a Shopee item:model id":        "%s bukan id item:model Shopee",
	"%s listings could not be read at %s: %s": "Daftar produk %s tidak bisa dibaca pada %s: %s",
	"%s listings read at %s: %d":              "Daftar produk %s dibaca pada %s: %d",
}

func init() {
	for k, v := range linksIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
