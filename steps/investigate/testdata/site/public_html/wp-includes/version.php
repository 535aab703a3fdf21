<?php
$wp_version = '4.6.1';
$wp_db_version = 37965;
