package ui

import "fyne.io/fyne/v2"

// background runs I/O off the UI goroutine. Tests replace it with a direct
// call so that every result is on screen when the call returns.
var background = func(f func()) { go f() }

// load runs work in the background and hands its result to done on the UI goroutine.
func load[T any](work func() (T, error), done func(T, error)) {
	background(func() {
		v, err := work()
		fyne.Do(func() { done(v, err) })
	})
}
