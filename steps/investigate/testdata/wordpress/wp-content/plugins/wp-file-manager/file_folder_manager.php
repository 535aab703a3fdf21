<?php
/**
 * Plugin Name: File Manager
 * Version: 6.4
 */
