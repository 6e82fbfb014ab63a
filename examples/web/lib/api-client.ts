// The storefront's axios instance for its own API, used by server and client components alike.
import axios from 'axios';

export const api = axios.create({
  baseURL: '/api',
  timeout: 5_000,
  headers: { 'Content-Type': 'application/json' },
});
