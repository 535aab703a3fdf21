<?php
$wp_version = '7.0';
