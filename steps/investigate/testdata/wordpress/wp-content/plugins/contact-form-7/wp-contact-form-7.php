<?php
/*
Plugin Name: Contact Form 7
Version: 5.3.1
*/
