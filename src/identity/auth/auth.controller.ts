import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthRateLimit } from '../../core/http/rate-limit/rate-limit';
import { ApiDoc } from '../../core/openapi/api-doc';
import { LoginDto, RegisterDto } from '../dto/auth.dto';
import { type AuthResult } from '../dto/user.dto';
import { type AuthUser } from './auth-user';
import { CurrentUser, Public } from './auth.decorators';
import { AuthResultSchema } from '../identity.openapi';
import { AuthService } from './auth.service';

@ApiTags('identity')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @AuthRateLimit()
  @Post('register')
  @ApiDoc({
    summary: 'Register an account',
    description: 'Answers the new user, signed in. Limited per client address (`AUTH_RATE_LIMIT`).',
    status: 201,
    type: AuthResultSchema,
    problems: { 409: ['email_taken'] },
  })
  register(@Body() dto: RegisterDto): Promise<AuthResult> {
    return this.auth.register(dto);
  }

  @Public()
  @AuthRateLimit()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Sign in',
    description: 'Limited per client address (`AUTH_RATE_LIMIT`).',
    status: 200,
    type: AuthResultSchema,
    problems: { 401: ['invalid_credentials'] },
  })
  login(@Body() dto: LoginDto): Promise<AuthResult> {
    return this.auth.login(dto);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiDoc({
    summary: 'Sign out everywhere',
    description: 'Every token issued to the user so far stops working, and their sockets close.',
    status: 204,
  })
  logout(@CurrentUser() user: AuthUser): Promise<void> {
    return this.auth.logout(user);
  }
}
