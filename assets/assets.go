// Package assets holds the files the terminal's UI embeds: the new-order
// chime and the translation bundles. Everything here was made for this
// project (the chime is synthesised; see docs/ui.md), so none of it is
// third-party artwork.
package assets

import "embed"

// Chime is the new-order sound: 0.45 s of two soft bell tones, 22050 Hz mono
// 16-bit PCM in a WAV container.
//
//go:embed chime.wav
var Chime []byte

// Translations holds one go-i18n JSON bundle per language ("id.json"), keyed
// by the English text, for fyne.io/fyne/v2/lang.AddTranslationsFS.
//
//go:embed translations
var Translations embed.FS

// Icon is the app icon (also named in FyneApp.toml), drawn for this project.
//
//go:embed icon.png
var Icon []byte
