<?php
define( 'DB_NAME', 'blog' );
define( 'DB_PASSWORD', 'not-a-real-password' );
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
