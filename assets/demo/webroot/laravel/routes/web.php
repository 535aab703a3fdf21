<?php

use App\Mail\OrderReady;
use Illuminate\Support\Facades\Mail;
use Illuminate\Support\Facades\Route;

Route::post('/orders/{number}/ready', function (string $number) {
    Mail::to(request('email'))->send(new OrderReady($number));

    return response()->noContent();
});
