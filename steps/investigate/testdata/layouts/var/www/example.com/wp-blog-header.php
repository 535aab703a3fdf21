<?php
require_once __DIR__ . '/wp-load.php';
wp();
