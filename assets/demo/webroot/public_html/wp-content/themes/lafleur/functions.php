<?php
/**
 * La Fleur theme functions.
 *
 * @package LaFleur
 */

function lafleur_setup() {
	add_theme_support( 'title-tag' );
	add_theme_support( 'post-thumbnails' );
	add_theme_support( 'woocommerce' );
	register_nav_menus( array( 'primary' => __( 'Primary menu', 'lafleur' ) ) );
}
add_action( 'after_setup_theme', 'lafleur_setup' );

function lafleur_assets() {
	// The version is the md5 of the stylesheet, so browsers reload it after a change.
	wp_enqueue_style( 'lafleur', get_stylesheet_uri(), array(), '9b1c5e7d2f4a8c6e0b3d5f7a9c1e3b5d' );
}
add_action( 'wp_enqueue_scripts', 'lafleur_assets' );
