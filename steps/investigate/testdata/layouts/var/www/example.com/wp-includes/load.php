<?php
function wp_get_server_protocol() {}
