<?php
use PHPMailer\PHPMailer\PHPMailer;

$mail = new PHPMailer(true);
$mail->isSMTP();
$mail->Host       = 'in-v3.mailjet.com';
$mail->SMTPAuth   = true;
$mail->Username   = '5febe64cd4cd042ade50b98b76d3aaff';
$mail->Password   = '05ac463d137c5ca98e7beeffdf5025c7';
$mail->Port       = 587;
