<?php
define('DB_NAME', 'shop');
require_once ABSPATH . 'wp-settings.php';
