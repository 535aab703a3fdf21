<?php
/*
Plugin Name: Ultimate Member
Version: trunk
*/
