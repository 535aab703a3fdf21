<?php

namespace App\Mail;

use Illuminate\Bus\Queueable;
use Illuminate\Mail\Mailable;
use Illuminate\Queue\SerializesModels;

class OrderReady extends Mailable
{
    use Queueable, SerializesModels;

    public function __construct(public string $orderNumber)
    {
    }

    public function build(): static
    {
        return $this->subject('Your order '.$this->orderNumber.' is ready')
            ->text('emails.order-ready');
    }
}
