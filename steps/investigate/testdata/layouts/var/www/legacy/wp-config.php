<?php
define( 'DB_PASSWORD', 'not-a-real-password' );
require_once ABSPATH . 'wp-settings.php';
