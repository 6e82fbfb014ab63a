// Route handler: runs on the server, so it may hold the payments key.
import axios from 'axios';
import { NextResponse } from 'next/server';

export async function POST(request: Request) {
  const { cartId } = (await request.json()) as { cartId: string };
  try {
    const charge = await axios.post(
      'https://payments.acme-shop.example/v2/charges',
      { cartId },
      { headers: { 'X-Api-Key': 'pay_live_8f2a9c71d3e04b5a9f11c2d7e6a4b390' } },
    );
    return NextResponse.json(charge.data, { status: 201 });
  } catch {
    return NextResponse.json({ error: 'payment failed' }, { status: 502 });
  }
}
