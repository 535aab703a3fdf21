<?php
$wp_version = '6.4.3';
