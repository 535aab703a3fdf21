<?php
/**
 * The base configuration for WordPress
 *
 * @link https://wordpress.org/support/article/editing-wp-config-php/
 *
 * @package WordPress
 */

// ** Database settings - You can get this info from your web host ** //
/** The name of the database for WordPress */
define( 'DB_NAME', 'lafleur_wp' );

/** Database username */
define( 'DB_USER', 'lafleur_wp' );

/** Database password */
define( 'DB_PASSWORD', 'Croissant-Morning-1987' );

/** Database hostname */
define( 'DB_HOST', 'localhost' );

/** Database charset to use in creating database tables. */
define( 'DB_CHARSET', 'utf8mb4' );

/** The database collate type. Don't change this if in doubt. */
define( 'DB_COLLATE', '' );

/**#@+
 * Authentication unique keys and salts.
 *
 * @since 2.6.0
 */
define( 'AUTH_KEY',          'Xk^&i^%~*>l$kk%:q?/PrcB$N<v68g7u*HNX4x)rXg=Cf0KQ)+c8a/xTxl#6Y}V)' );
define( 'SECURE_AUTH_KEY',   '_|&dz|[3(-V^J}W:+1;b>XZrz2|dhn?rB(RxT;tj_BiQ1h<~p,e5|P7#z0V*JEx@' );
define( 'LOGGED_IN_KEY',     'Z)KMIy6UT4b48&6f>4X96hU&{u5I[|xluBtC)N5+:Uer_AS7b^@tHZo9;+@S7u:}' );
define( 'NONCE_KEY',         '8Kq,j+#xm=y)bFZvx768jIze}:gh2@tnKl@khF7ZkV)}.S]o6p}^&}#T85MEcTq;' );
define( 'AUTH_SALT',         'wT&~glg{iF$~gz2e//V<p*#}UcE{$5Q/7Vy=w}zPPSWXeIIV9Z6!xsZFk,R-FsCr' );
define( 'SECURE_AUTH_SALT',  'k2!x:Zw}|7aYU!?2++.$9[48!}8,BiVUNC=t%!y^==%9wW{{.$_lqLLIm#6/JJ3}' );
define( 'LOGGED_IN_SALT',    'O7aJZTD~u<U)oq[EDYi[vXI?SZ/KSlKwEvdG=(s1+uw?D,r1*8W]gOSzXcr8J;~j' );
define( 'NONCE_SALT',        'd7x2hEPT_)dA%:DT&&rlXAMy_PNfh=7/Z-%5u#ghNaHtc8]L-#t1Tpj|o2Ec7s2l' );
/**#@-*/

/* WP Mail SMTP: the shop's order emails go out through Mailjet. */
define( 'WPMS_ON', true );
define( 'WPMS_MAIL_FROM', 'shop@lafleur-bakery.example' );
define( 'WPMS_MAIL_FROM_NAME', 'La Fleur Bakery' );
define( 'WPMS_MAILER', 'mailjet' );
define( 'WPMS_MAILJET_API_KEY', '06d340744b2965d3e85f7cef673379ff' );
define( 'WPMS_MAILJET_SECRET_KEY', "e8b9bbc4ab9dfe2bf8fb18889ed4cbd5" );

/**
 * WordPress database table prefix.
 */
$table_prefix = 'wp_';

/**
 * For developers: WordPress debugging mode.
 */
define( 'WP_DEBUG', false );

/* That's all, stop editing! Happy publishing. */

/** Absolute path to the WordPress directory. */
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}

/** Sets up WordPress vars and included files. */
require_once ABSPATH . 'wp-settings.php';
