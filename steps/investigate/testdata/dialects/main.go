package main

import "github.com/mailjet/mailjet-apiv3-go/v4"

func client() *mailjet.Client {
	return mailjet.NewMailjetClient("c0ffee5a1b2c3d4e5f60718293a4b5c6", "9778d5d219c5080b9a6a17bef029331c")
}
