<?php
/**
 * Plugin Name: La Fleur Orders
 * Description: Sends the "your bread is ready" email through Mailjet.
 * Version: 0.3.0
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

use Mailjet\Client;
use Mailjet\Resources;

function lafleur_orders_notify( $order ) {
	// The key and secret come from wp-config.php; nothing is stored here.
	$mj = new Client( WPMS_MAILJET_API_KEY, WPMS_MAILJET_SECRET_KEY, true, array( 'version' => 'v3.1' ) );

	$body = array(
		'Messages' => array(
			array(
				'From'     => array( 'Email' => 'shop@lafleur-bakery.example', 'Name' => 'La Fleur Bakery' ),
				'To'       => array( array( 'Email' => $order->get_billing_email() ) ),
				'Subject'  => 'Your order is ready',
				'TextPart' => 'Your bread is ready for pick-up.',
				'CustomID' => 'order-' . $order->get_id(),
			),
		),
	);
	return $mj->post( Resources::$Email, array( 'body' => $body ) );
}
