<?php
define('DB_NAME', 'blog');
